/// Every route the server serves, in one table: the router is built from it and a test checks the
/// OpenAPI document against it.
public struct ServerRoute: Sendable, Equatable {
    public var method: String
    /// The path in OpenAPI form (`{id}` for a parameter).
    public var path: String

    public static let all: [ServerRoute] = [
        ServerRoute(method: "post", path: "/v1/commands"),
        ServerRoute(method: "get", path: "/v1/accounts"),
        ServerRoute(method: "get", path: "/v1/accounts/{id}"),
        ServerRoute(method: "get", path: "/v1/accounts/{id}/what-if"),
        ServerRoute(method: "get", path: "/v1/events"),
        ServerRoute(method: "get", path: "/v1/markets"),
        ServerRoute(method: "get", path: "/v1/insurance-fund"),
        ServerRoute(method: "get", path: "/v1/stream"),
        ServerRoute(method: "get", path: "/v1/status"),
        ServerRoute(method: "get", path: "/healthz"),
        ServerRoute(method: "get", path: "/metrics"),
        ServerRoute(method: "get", path: "/openapi.json"),
        // The dashboard: its static files and the aggregates it polls.
        ServerRoute(method: "get", path: "/"),
        ServerRoute(method: "get", path: "/dashboard.css"),
        ServerRoute(method: "get", path: "/dashboard.js"),
        ServerRoute(method: "get", path: "/v1/dashboard/overview"),
        ServerRoute(method: "get", path: "/v1/dashboard/history"),
        ServerRoute(method: "get", path: "/v1/markets/{market}/liquidation-map"),
    ]
}
