/// A command failure that ArgumentParser prints as one line (`Error: …`) with a non-zero exit.
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
