import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 over a plain loopback socket, one request per connection (`Connection: close`), for
/// the tests that talk to a `leeway serve` process they started.
///
/// Not FoundationNetworking's `URLSession`: the test process also runs dozens of in-process
/// servers (LeewayServerTests) whose SQLite journals hold over a thousand descriptors at the
/// suite's peak, and while they do, `URLSession` requests to a child server that is up and
/// listening failed for 30 s at a time (a clean-clone CI run failed that way). This client only
/// uses `socket`, `connect`, `send`, `poll` and `recv`, which do not care how many descriptors the
/// process holds or how high their numbers are, and it has no cancellation that can deadlock.
enum LoopbackHTTP {
    struct Response: Sendable {
        let status: Int
        /// Header names in lower case.
        let headers: [String: String]
        let body: Data

        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends `method url` with `body` and waits at most `timeout` seconds for the whole answer.
    /// The blocking calls run on a serial Dispatch queue of their own, which gets a thread even
    /// while the cooperative pool's (and the global queues', as wide as the cores) are all busy.
    static func send(_ method: String, _ url: URL, body: Data? = nil, headers: [String: String] = [:],
                     timeout: TimeInterval = 60) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "leeway-test-http").async {
                continuation.resume(with: Result { try blockingSend(method, url, body: body, headers: headers, timeout: timeout) })
            }
        }
    }

    static func get(_ url: URL, timeout: TimeInterval = 60) async throws -> Response {
        try await send("GET", url, timeout: timeout)
    }

    private static func blockingSend(_ method: String, _ url: URL, body: Data?, headers: [String: String],
                                     timeout: TimeInterval) throws -> Response {
        guard url.scheme == "http", let host = url.host, let port = url.port else {
            throw Failure(description: "\(url) is not an http://host:port URL")
        }
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1_000))
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect to \(host):\(port) failed: errno \(errno)") }

        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?" + query }
        let payload = body ?? Data()
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nContent-Length: \(payload.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + Array(payload)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(description: "the server at \(host):\(port) closed the connection while the request was sent") }
            sent += count
        }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                throw Failure(description: "\(method) \(url): no complete answer within \(timeout) s (\(received.count) bytes arrived)")
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(max(1, remaining.components.seconds * 1_000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return try parse(received, for: "\(method) \(url)")
    }

    /// Splits a whole answer (the server closed the connection after it) into status, headers
    /// and body, decoding a chunked body.
    private static func parse(_ bytes: [UInt8], for request: String) throws -> Response {
        var scan = 0
        while scan + 3 < bytes.count, !(bytes[scan] == 13 && bytes[scan + 1] == 10 && bytes[scan + 2] == 13 && bytes[scan + 3] == 10) { scan += 1 }
        guard scan + 3 < bytes.count else {
            throw Failure(description: "\(request): the connection closed before a whole response head (\(bytes.count) bytes)")
        }
        let headEnd = scan
        let headLines = String(decoding: bytes[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = headLines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "\(request): unreadable status line \(headLines[0])")
        }
        var headers: [String: String] = [:]
        for line in headLines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(headEnd + 4)...])
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try dechunk(body, for: request)
        } else if let length = headers["content-length"].flatMap(Int.init) {
            guard body.count >= length else {
                throw Failure(description: "\(request): the body has \(body.count) of its \(length) bytes")
            }
            body = Array(body.prefix(length))
        }
        return Response(status: status, headers: headers, body: Data(body))
    }

    /// The body of a `Transfer-Encoding: chunked` message: hex size line, that many bytes, CRLF,
    /// until the zero-size chunk.
    private static func dechunk(_ bytes: [UInt8], for request: String) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = (index..<max(index, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else {
                throw Failure(description: "\(request): a chunked body ended without its last chunk")
            }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(description: "\(request): unreadable chunk size \(sizeText)")
            }
            if size == 0 { return output }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { throw Failure(description: "\(request): a chunk is cut short") }
            output += bytes[start..<(start + size)]
            index = start + size + 2
        }
    }
}
