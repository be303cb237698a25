/// Which accounts hold a position in each market: one bit per account per market (bit
/// `account % 64` of word `account / 64`), so a funding round finds its holders by scanning
/// accounts ÷ 8 bytes instead of every account's position run.
///
/// Memory: markets × accounts ÷ 8 bytes (1.25 MB for 10 markets × 1M accounts, 125 MB for 1,000
/// markets). Derived state, part of `MarginColumns`: written where the runs are.
struct MarketHolderBits: Sendable, Hashable {
    /// Per market, the words of its bitset; a market beyond the table, or a word beyond a
    /// market's words, has no holders there.
    private var words: [[UInt64]] = []

    init() {}

    /// Whether `account` holds a position in `market`.
    func contains(market: Int, account: Int) -> Bool {
        guard market < words.count, account / 64 < words[market].count else { return false }
        return words[market][account / 64] & (1 << UInt64(account % 64)) != 0
    }

    /// Marks `account` as a holder of `market` (or not).
    mutating func set(market: Int, account: Int, holds: Bool) {
        if market >= words.count {
            guard holds else { return }
            words.append(contentsOf: repeatElement([], count: market + 1 - words.count))
        }
        let word = account / 64
        if word >= words[market].count {
            guard holds else { return }
            words[market].append(contentsOf: repeatElement(0, count: word + 1 - words[market].count))
        }
        let bit: UInt64 = 1 << UInt64(account % 64)
        if holds { words[market][word] |= bit } else { words[market][word] &= ~bit }
    }

    /// Calls `body` with every holder of `market`, in account order.
    func forEach(market: Int, _ body: (_ account: Int) -> Void) {
        guard market < words.count else { return }
        words[market].withUnsafeBufferPointer { words in
            for (wordIndex, word) in words.enumerated() where word != 0 {
                var remaining = word
                while remaining != 0 {
                    body(wordIndex * 64 + remaining.trailingZeroBitCount)
                    remaining &= remaining - 1
                }
            }
        }
    }

    /// Holders of `market`.
    func count(market: Int) -> Int {
        guard market < words.count else { return 0 }
        return words[market].reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// Markets with a table (some may have no holder left).
    var marketCount: Int { words.count }
}
