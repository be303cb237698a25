import CZlib

/// Decompresses gzip (or zlib) data with the system zlib.
enum Gzip {
    /// True when `bytes` start with the gzip magic number 1f 8b.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates every gzip member in `input`. Throws a human-readable detail on corrupt or truncated data.
    static func decompress(_ input: [UInt8]) throws(GzipFailure) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 8)
        var stream = z_stream()
        // windowBits 15 + 32: detect gzip or zlib headers automatically.
        var status = inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipFailure(detail: "zlib initialisation failed (\(status))") }
        defer { inflateEnd(&stream) }
        let chunkSize = 1 << 16
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var consumed = 0
        try input.withUnsafeBufferPointer { (inBuffer) throws(GzipFailure) in
            guard let base = inBuffer.baseAddress else { throw GzipFailure(detail: "empty input") }
            while true {
                stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
                stream.avail_in = UInt32(input.count - consumed)
                repeat {
                    status = chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = UInt32(chunkSize)
                        return inflate(&stream, Z_NO_FLUSH)
                    }
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw GzipFailure(detail: "inflate error \(status)")
                    }
                    let produced = chunkSize - Int(stream.avail_out)
                    output.append(contentsOf: chunk[0..<produced])
                    if status == Z_BUF_ERROR && produced == 0 { break }
                } while stream.avail_out == 0 && status != Z_STREAM_END
                consumed = input.count - Int(stream.avail_in)
                if status == Z_STREAM_END {
                    // Another gzip member may follow (concatenated gzip files).
                    if consumed < input.count, input[consumed] == 0x1f {
                        guard inflateReset(&stream) == Z_OK else { throw GzipFailure(detail: "reset failed") }
                        continue
                    }
                    return
                }
                throw GzipFailure(detail: "truncated stream")
            }
        }
        return output
    }
}

/// A zlib failure, with a short technical detail.
struct GzipFailure: Error {
    let detail: String
}
