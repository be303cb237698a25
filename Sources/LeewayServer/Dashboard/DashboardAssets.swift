/// The dashboard's static files, compiled into the binary as string constants (no files to
/// install, no build step, no CDN): the page works offline from `leeway serve` alone.
public enum DashboardAssets {
    public struct Asset: Sendable {
        public var path: String
        public var contentType: String
        public var body: String
    }

    public static let all: [Asset] = [
        Asset(path: "/", contentType: "text/html; charset=utf-8", body: DashboardPage.html),
        Asset(path: "/dashboard.css", contentType: "text/css; charset=utf-8", body: DashboardStyle.css),
        Asset(path: "/dashboard.js", contentType: "text/javascript; charset=utf-8", body: DashboardScript.js),
    ]
}
