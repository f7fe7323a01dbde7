/// A small deterministic random number generator (SplitMix64).
///
/// Every random choice the simulation makes (uids, pod name suffixes, injected API errors) comes
/// from a seeded generator, so a test that fixes the seed sees the same cluster every run.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value in `[0, 1)`.
    mutating func unitInterval() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }

    /// A version-4 UUID string built from this generator.
    mutating func uuid() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<2 {
            var word = next()
            for offset in 0..<8 {
                bytes[index * 8 + offset] = UInt8(truncatingIfNeeded: word)
                word >>= 8
            }
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }

    /// A name suffix such as `x7k2p`, drawn from the alphabet Kubernetes uses for generated names
    /// (no vowels, so suffixes never spell words).
    mutating func nameSuffix(length: Int = 5) -> String {
        String((0..<length).map { _ in NameAlphabet.characters[Int(next() % UInt64(NameAlphabet.characters.count))] })
    }
}

/// The characters Kubernetes uses in generated name suffixes and template hashes.
enum NameAlphabet {
    /// Consonants and digits that cannot spell words.
    static let characters = Array("bcdfghjklmnpqrstvwxz2456789")
}

/// FNV-1a hashes: stable across processes (unlike `Hasher`), used for seeds and template hashes.
enum FNV1a {
    /// 64-bit FNV-1a of the UTF-8 bytes.
    static func hash64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// 32-bit FNV-1a of the bytes, as Kubernetes' `pod-template-hash` uses.
    static func hash32<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in bytes {
            hash ^= UInt32(byte)
            hash &*= 0x0100_0193
        }
        return hash
    }

    /// A hash rendered in the name alphabet, like Kubernetes' `rand.SafeEncodeString`.
    static func safeEncoded(_ value: UInt32) -> String {
        String(String(value).utf8.map { NameAlphabet.characters[Int($0) % NameAlphabet.characters.count] })
    }
}
