import Foundation

/// How a browser presents an API key on the WebSocket stream. A page's `new WebSocket(url, protocols)`
/// cannot set an `Authorization` header, so the key travels as a subprotocol:
/// `Sec-WebSocket-Protocol: leeway.v1, leeway.key.<base64url(key), no padding>`. The server answers
/// with `leeway.v1` only (the key is never echoed). Headers, unlike a query string, stay out of
/// access logs and browser history.
public enum StreamKeyProtocol {
    /// The subprotocol the server selects.
    public static let name = "leeway.v1"
    /// The prefix of the subprotocol that carries the key.
    public static let keyPrefix = "leeway.key."

    /// The key carried in a `Sec-WebSocket-Protocol` header value, if any (nil when absent or not
    /// valid base64url).
    public static func key(fromProtocols header: String?) -> String? {
        guard let header else { return nil }
        for item in header.split(separator: ",") {
            let token = item.trimmingCharacters(in: .whitespaces)
            guard token.hasPrefix(keyPrefix) else { continue }
            var base64 = String(token.dropFirst(keyPrefix.count)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64.append("=") }
            guard let data = Data(base64Encoded: base64), let key = String(data: data, encoding: .utf8) else { return nil }
            return key
        }
        return nil
    }

    /// Whether the client offered `leeway.v1` (then the upgrade answer must select it).
    public static func offered(_ header: String?) -> Bool {
        header?.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == name } ?? false
    }

    /// The subprotocol token for `key` (what the dashboard sends).
    public static func token(forKey key: String) -> String {
        keyPrefix + Data(key.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
