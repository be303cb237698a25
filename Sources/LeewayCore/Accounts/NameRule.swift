/// What an identifier (account, asset, market, command id) may be, in every entry point alike
/// (replay, the server, the simulator): non-empty, at most 128 bytes of UTF-8, and no control
/// characters (C0, DEL, C1) or U+FFFD (which is what invalid UTF-8 decodes to).
public enum NameRule {
    public static let maximumBytes = 128

    /// Why `name` is not a valid identifier, or nil if it is.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        let bytes = name.utf8.count
        if bytes > maximumBytes { return "is \(bytes) bytes long; at most \(maximumBytes) bytes of UTF-8 are allowed" }
        for scalar in name.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                return "contains the control character U+\(String(scalar.value, radix: 16, uppercase: true)); use printable characters only"
            }
            if scalar == "\u{FFFD}" { return "is not valid UTF-8 (it contains U+FFFD)" }
        }
        return nil
    }
}
