import LeewayCore

/// The dashboard's routes in the OpenAPI document (static files and aggregate endpoints).
extension OpenAPIDocument {
    /// An error response of the document's `Error` schema.
    static func errorResponse(_ status: String) -> String {
        ##""\##(status)":{"description":"error","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}}"##
    }

    static let errorResponses = ["400", "401", "403"].map(errorResponse).joined(separator: ",")

    static func staticFile(_ summary: String, _ type: String) -> String {
        #"{"get":{"summary":"\#(summary)","security":[],"responses":{"200":{"description":"ok","content":{"\#(type)":{"schema":{"type":"string"}}}}}}}"#
    }

    /// Phase name → count (every phase present).
    static var phaseCountsSchema: String {
        #"{"type":"object","required":\#(jsonList(LiquidationPhase.allCases.map(\.rawValue))),"additionalProperties":{"type":"integer","minimum":0}}"#
    }

    static let decimal = #"{"type":"string"}"#
    static let nullableDecimal = #"{"type":"string","nullable":true}"#
    static let nullableInteger = #"{"type":"integer","nullable":true}"#

    static var overviewSchema: String {
        ##"{"type":"object","required":["scope","now","clock","records","last_event","accounts","accounts_with_positions","accounts_at_risk","phases","insurance_funds","at_risk"],"properties":{"scope":{"type":"string","enum":["venue","own_accounts"]},"now":{"type":"integer"},"clock":{"type":"integer"},"records":{"type":"integer"},"last_event":{"type":"integer"},"accounts":{"type":"integer"},"accounts_with_positions":{"type":"integer"},"accounts_at_risk":{"type":"integer"},"phases":\##(phaseCountsSchema),"insurance_funds":{"type":"object","additionalProperties":{"type":"string"}},"at_risk":{"type":"array","items":{"$ref":"#/components/schemas/MarginReport"}}}}"##
    }

    static var historySchema: String {
        #"{"type":"object","required":["samples"],"properties":{"samples":{"type":"array","items":{"type":"object","required":["ts","clock","insurance_funds","marks"],"properties":{"ts":{"type":"integer"},"clock":{"type":"integer"},"insurance_funds":{"type":"object","additionalProperties":{"type":"string"}},"phases":\#(phaseCountsSchema),"marks":{"type":"object","additionalProperties":\#(nullableDecimal)}}}}}}"#
    }

    static var liquidationMapSchema: String {
        #"{"type":"object","required":["market","mark","low","high","bin_width","bins","outside_positions","outside_notional","unliquidatable_positions"],"properties":{"market":{"type":"string"},"mark":\#(nullableDecimal),"low":\#(decimal),"high":\#(decimal),"bin_width":\#(decimal),"bins":{"type":"array","items":{"type":"object","required":["from","long_notional","short_notional","positions"],"properties":{"from":\#(decimal),"long_notional":\#(decimal),"short_notional":\#(decimal),"positions":{"type":"integer","minimum":0}}}},"outside_positions":{"type":"integer"},"outside_notional":\#(decimal),"unliquidatable_positions":{"type":"integer"}}}"#
    }

    static func query(_ name: String, _ schema: String) -> String {
        #"{"name":"\#(name)","in":"query","required":false,"schema":\#(schema)}"#
    }

    static var liquidationMapPath: String {
        let parameters = [#"{"name":"market","in":"path","required":true,"schema":{"type":"string"}}"#,
                          query("bins", #"{"type":"integer","minimum":1,"maximum":400}"#),
                          query("low", #"{"type":"string"}"#), query("high", #"{"type":"string"}"#)].joined(separator: ",")
        let responses = #""200":{"description":"ok","content":{"application/json":{"schema":\#(liquidationMapSchema)}}},"#
            + errorResponses + "," + errorResponse("404")
        let summary = "Notional of the positions whose liquidation price falls in each price bin between low and high (default: the mark −25 % to +25 %), longs and shorts apart (a trader key: its own positions only)"
        return #""/v1/markets/{market}/liquidation-map":{"get":{"summary":"\#(summary)","security":[{"bearer":[]}],"parameters":[\#(parameters)],"responses":{\#(responses)}}}"#
    }

    /// The `paths` members of the dashboard's routes (joined into `text`).
    static var dashboardPaths: String {
        [
            #""/":\#(staticFile("The live risk dashboard (HTML; its script and stylesheet are /dashboard.js and /dashboard.css, nothing is loaded from elsewhere)", "text/html"))"#,
            #""/dashboard.css":\#(staticFile("The dashboard's stylesheet", "text/css"))"#,
            #""/dashboard.js":\#(staticFile("The dashboard's script", "text/javascript"))"#,
            #""/v1/dashboard/overview":{"get":{"summary":"Accounts by phase, insurance funds, markets with the policy in force, and the accounts with the highest margin ratio (venue-wide, computed at most every 0.5 s; a trader key: its own accounts only)","security":[{"bearer":[]}],"parameters":[\#(query("limit", #"{"type":"integer","minimum":1,"maximum":\#(DashboardCache.riskiestKept)}"#))],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":\#(overviewSchema)}}},\#(errorResponses)}}}"#,
            #""/v1/dashboard/history":{"get":{"summary":"Samples (one a second while the engine moves, the last hour) of insurance funds, marks and, except for trader keys, accounts by phase, taken after server time `after` (ms)","security":[{"bearer":[]}],"parameters":[\#(query("after", #"{"type":"integer","minimum":0}"#))],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":\#(historySchema)}}},\#(errorResponses)}}}"#,
            liquidationMapPath,
        ].joined(separator: ",")
    }
}
