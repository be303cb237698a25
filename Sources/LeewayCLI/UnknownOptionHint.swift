import ArgumentParser
import Foundation

/// The sentence for a mistyped option, e.g. "unknown option '--sise' for 'leeway liq-price': did
/// you mean '--size'?".
///
/// swift-argument-parser reports an unknown option only once every required option has a value,
/// so a typo in a required option's name (`--sise 1`) surfaces as "Missing expected argument
/// '--size'", which hides the typo. `leeway` therefore checks the words itself before it reports
/// any parse error: it finds the subcommand the words name, reads that command's option names from
/// the parser's own description of the tool (the `--experimental-dump-help` JSON, so the list
/// cannot drift from the declarations), and names the first `--word` that is none of them, with the
/// closest valid name.
struct UnknownOptionHint {
    /// The options of the command the words named, without the leading dashes.
    var commandPath: [String]
    var optionNames: Set<String>

    /// Reads the command that `arguments` (without the executable) names out of `tool`'s description.
    init?(arguments: [String], dumpHelp: String) {
        guard let data = dumpHelp.data(using: .utf8),
              let tool = try? JSONDecoder().decode(ToolDescription.self, from: data) else { return nil }
        var command = tool.command
        var path = [command.commandName]
        for word in arguments {
            guard !word.hasPrefix("-"), let next = command.subcommands?.first(where: { $0.commandName == word }) else { break }
            command = next
            path.append(word)
        }
        commandPath = path
        optionNames = Set((command.arguments ?? []).flatMap { $0.names ?? [] }.filter { $0.kind != "short" }.map(\.name))
        optionNames.formUnion(["help", "experimental-dump-help", "generate-completion-script"])
    }

    /// The sentence for the first `--word` in `arguments` that the command does not know, or nil.
    func message(for arguments: [String]) -> String? {
        let words = arguments.prefix { $0 != "--" }.filter { $0.hasPrefix("--") && $0.count > 2 }
            .map { String($0.dropFirst(2).prefix { $0 != "=" }) }
        let given = Set(words)
        for name in words where !optionNames.contains(name) {
            let command = commandPath.joined(separator: " ")
            let start = "unknown option '--\(name)' for '\(command)'"
            if let closest = Self.closest(to: name, among: optionNames, given: given) {
                return "\(start): did you mean '--\(closest)'? (see '\(command) --help')"
            }
            return "\(start); see '\(command) --help' for its options"
        }
        return nil
    }

    /// The valid name nearest to `name` by edit distance, if it is within min(3, max(1, ⌊|name|/2⌋))
    /// edits (so a short word is not "corrected" into an unrelated one). Of equals, one the words
    /// have not `given` yet comes first (`--side long --sise 1` means `--size`), then alphabetical
    /// order, so the hint is deterministic.
    static func closest(to name: String, among names: Set<String>, given: Set<String>) -> String? {
        let limit = min(3, max(1, name.count / 2))
        let ranked = names.map { (name: $0, distance: editDistance(name, $0), given: given.contains($0) ? 1 : 0) }
            .filter { $0.distance <= limit }
            .sorted { ($0.distance, $0.given, $0.name) < ($1.distance, $1.given, $1.name) }
        return ranked.first?.name
    }

    /// Levenshtein distance: the fewest single-character insertions, deletions and substitutions
    /// that turn `a` into `b` (row-by-row dynamic programme, O(|a|·|b|)).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The parts of the `--experimental-dump-help` JSON this reads.
    private struct ToolDescription: Decodable {
        var command: CommandDescription
    }

    private struct CommandDescription: Decodable {
        var commandName: String
        var subcommands: [CommandDescription]?
        var arguments: [ArgumentDescription]?
    }

    private struct ArgumentDescription: Decodable {
        var names: [NameDescription]?
    }

    private struct NameDescription: Decodable {
        var kind: String
        var name: String
    }
}
