import LeewayCore

/// Random but reproducible command streams over two markets, two collateral assets and a handful
/// of accounts, with price walks, gaps, funding, clock jumps and oracle-safety settings: the input
/// of the property tests.
struct RandomCommandStream {
    static let setup = """
    {"type":"asset","asset":"USDC","price":"1","weight":"1"}
    {"type":"asset","asset":"ETH","price":"2000","weight":"0.8"}
    {"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"},{"floor":"200000","imr":"0.05","mmr":"0.025"}],"liquidation_fee":"0.005"}
    {"type":"market","market":"ETH-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.05","mmr":"0.025"}],"liquidation_fee":"0.01","expected_slippage":"0.01"}
    {"type":"insurance_deposit","amount":"500","ts":1700000000000}
    {"type":"mark","market":"BTC-PERP","price":"10000"}
    {"type":"mark","market":"ETH-PERP","price":"2000"}
    """

    /// `count` command lines after the setup, from `seed`.
    static func lines(seed: UInt64, count: Int) -> [String] {
        var random = SeededGenerator(seed: seed)
        var clock: Int64 = 1_700_000_000_000
        var prices = ["BTC-PERP": 10_000.0, "ETH-PERP": 2_000.0]
        var ethCollateral = 2_000.0
        let accounts = ["a", "b", "c", "d", "e", "f"]
        let policies = [
            #"{"type":"policy","grace_ms":60000,"cooldown_ms":10000,"step_fraction":"0.3"}"#,
            #"{"type":"policy","mode":"hard"}"#,
            #"{"type":"policy","grace":{"max_breach_probability":"0.05","min_ms":10000,"max_ms":300000},"cooldown_ms":5000}"#,
            #"{"type":"policy","market":"ETH-PERP","grace_ms":0,"step_fraction":"1","hard_fraction":"0.8"}"#,
            // Part 2: the zone above MM, fast steps below it, toxic close, dynamic margin, a zone fee.
            #"{"type":"policy","call_level":"1.5","grace_ms":30000,"cooldown_ms":20000,"step_fraction":"0.2","liquidation_step_fraction":"0.5","liquidation_cooldown_ms":3000,"toxic_close":true,"pre_liquidation_fee":"0.001"}"#,
            #"{"type":"policy","call_level":"1.2","dynamic_margin":{"reference_volatility":"0.001","max_multiplier":"3"},"liquidation_step_fraction":"0.3","liquidation_cooldown_ms":0}"#,
            #"{"type":"policy","market":"BTC-PERP","call_level":"2","toxic_close":true,"hard_fraction":"0.3","grace_ms":0}"#,
        ]
        // Oracle safety switched on and off: stale-mark pauses (the clock jumps up to 120 s) and held gaps.
        let oracleChanges = [
            #"{"type":"market","market":"ETH-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.05","mmr":"0.025"}],"liquidation_fee":"0.01","expected_slippage":"0.01","max_mark_age_ms":90000,"max_mark_move":"0.05","confirm_ms":60000}"#,
            #"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"},{"floor":"200000","imr":"0.05","mmr":"0.025"}],"liquidation_fee":"0.005","max_mark_age_ms":60000}"#,
            #"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"},{"floor":"200000","imr":"0.05","mmr":"0.025"}],"liquidation_fee":"0.005","max_mark_move":"0.03","confirm_ms":20000}"#,
            #"{"type":"market","market":"BTC-PERP","settle":"USDC","tiers":[{"floor":"0","imr":"0.02","mmr":"0.01"},{"floor":"200000","imr":"0.05","mmr":"0.025"}],"liquidation_fee":"0.005"}"#,
        ]
        func amount(_ value: Double, digits: Int = 4) -> String {
            let scale = pow10(digits)
            return String(format2: (value * scale).rounded() / scale, digits: digits)
        }
        var lines: [String] = []
        for _ in 0..<count {
            let account = accounts[Int(random.next() % UInt64(accounts.count))]
            let market = random.next() % 3 == 0 ? "ETH-PERP" : "BTC-PERP"
            let roll = random.next() % 100
            if random.next() % 4 == 0 { clock += Int64(random.next() % 40_000) }
            let ts = #","ts":\#(clock)"#
            switch roll {
            case 0..<15:
                let asset = random.next() % 5 == 0 ? "ETH" : "USDC"
                let value = asset == "ETH" ? Double(random.next() % 300) / 100 + 0.01 : Double(random.next() % 3000) + 1
                lines.append(#"{"type":"deposit","account":"\#(account)","asset":"\#(asset)","amount":"\#(amount(value))"\#(ts)}"#)
            case 15..<20:
                lines.append(#"{"type":"withdraw","account":"\#(account)","asset":"USDC","amount":"\#(amount(Double(random.next() % 800) + 1))"\#(ts)}"#)
            case 20..<45:
                let price = prices[market] ?? 1
                let size = (Double(random.next() % 6000) / 1000 + 0.001) * (random.next() % 2 == 0 ? 1 : -1) * (market == "ETH-PERP" ? 5 : 1)
                let tradePrice = price * (1 + (Double(random.next() % 100) - 50) / 10_000)
                lines.append(#"{"type":"fill","account":"\#(account)","market":"\#(market)","size":"\#(amount(size, digits: 3))","price":"\#(amount(tradePrice, digits: 2))","fee":"\#(amount(abs(size) * tradePrice * 0.0004, digits: 6))"\#(ts)}"#)
            case 45..<85:
                let gap = random.next() % 25 == 0
                let move = gap ? (Double(random.next() % 200) - 120) / 1000 : (Double(random.next() % 100) - 52) / 1500
                prices[market] = max(1, (prices[market] ?? 1) * (1 + move))
                lines.append(#"{"type":"mark","market":"\#(market)","price":"\#(amount(prices[market] ?? 1, digits: 2))"\#(ts)}"#)
            case 85..<88:
                ethCollateral = max(10, ethCollateral * (1 + (Double(random.next() % 100) - 55) / 500))
                lines.append(#"{"type":"asset_price","asset":"ETH","price":"\#(amount(ethCollateral, digits: 2))"\#(ts)}"#)
            case 88..<91:
                lines.append(#"{"type":"funding","market":"\#(market)","rate":"\#(amount((Double(random.next() % 200) - 100) / 1_000_000, digits: 8))"\#(ts)}"#)
            case 91..<96:
                clock += Int64(random.next() % 120_000)
                lines.append(#"{"type":"time","ts":\#(clock)}"#)
            case 96..<98:
                if random.next() % 3 == 0 {
                    lines.append(oracleChanges[Int(random.next() % UInt64(oracleChanges.count))])
                } else {
                    lines.append(policies[Int(random.next() % UInt64(policies.count))])
                }
            case 98 where random.next() % 2 == 0:
                lines.append(#"{"type":"deposit","account":"\#(account)","asset":"USDC","amount":"\#(amount(Double(random.next() % 500) + 1))","to":"reserve"\#(ts)}"#)
                lines.append(#"{"type":"protect","account":"\#(account)","auto_topup":{"asset":"USDC","max_amount":"\#(amount(Double(random.next() % 400) + 1))"}\#(ts)}"#)
            default:
                lines.append(#"{"type":"insurance_deposit","amount":"\#(amount(Double(random.next() % 100) + 1))"}"#)
            }
        }
        return lines
    }

    private static func pow10(_ digits: Int) -> Double {
        var value = 1.0
        for _ in 0..<digits { value *= 10 }
        return value
    }
}

extension String {
    /// Formats a non-huge `Double` with exactly `digits` decimals, without Foundation.
    init(format2 value: Double, digits: Int) {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let integer = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        self = (value < 0 && scaled != 0 ? "-" : "") + String(integer) + (digits > 0 ? "." + fraction : "")
    }
}
