import Foundation
import LeewayCore
import Testing

/// The registries (`CommandType`, `EventType`, `RejectionCode`, `AlertCode`) are the one list of
/// names; `docs/COMMANDS.md` must list exactly them.
@Suite("Registries and docs/COMMANDS.md agree")
struct RegistryDocumentationTests {
    static let document: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/COMMANDS.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// The lines from the heading `title` (exact line) to the next heading of the same or higher level.
    static func section(_ title: String) -> [Substring] {
        let lines = document.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == title }) else { return [] }
        let level = title.prefix { $0 == "#" }.count
        var end = start + 1
        while end < lines.count {
            let hashes = lines[end].prefix { $0 == "#" }.count
            if hashes > 0, hashes <= level, lines[end].dropFirst(hashes).first == " " { break }
            end += 1
        }
        return Array(lines[(start + 1)..<end])
    }

    /// Backticked snake_case names in `text`.
    static func names(in text: some StringProtocol) -> Set<String> {
        var found = Set<String>()
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "`") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "`") else { break }
            let name = after[..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLowercase || $0 == "_" }) { found.insert(String(name)) }
            rest = after[after.index(after: close)...]
        }
        return found
    }

    /// Names in the first column of every table row of a section.
    static func tableKeys(_ lines: [Substring]) -> Set<String> {
        var keys = Set<String>()
        for line in lines where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: true)
            if let first = cells.first { keys.formUnion(names(in: first)) }
        }
        return keys
    }

    /// The names in the paragraph that starts with `lead`.
    static func paragraph(startingWith lead: String) -> Set<String> {
        guard let range = document.range(of: lead) else { return [] }
        let tail = document[range.upperBound...]
        let end = tail.range(of: "\n\n")?.lowerBound ?? tail.endIndex
        return names(in: tail[..<end])
    }

    @Test("the error-code tables list exactly RejectionCode")
    func rejectionCodes() {
        #expect(!Self.document.isEmpty)
        #expect(Self.tableKeys(Self.section("## Error codes")) == Set(RejectionCode.allCases.map(\.rawValue)))
    }

    @Test("the alert table lists exactly AlertCode")
    func alertCodes() {
        #expect(Self.tableKeys(Self.section("### Alerts")) == Set(AlertCode.allCases.map(\.rawValue)))
    }

    @Test("the event and command type lines list exactly EventType and CommandType")
    func eventAndCommandTypes() {
        #expect(Self.paragraph(startingWith: "Event types (") == Set(EventType.allCases.map(\.rawValue)))
        #expect(Self.paragraph(startingWith: "Command types (") == Set(CommandType.allCases.map(\.rawValue)))
    }
}
