print("regfleet")
