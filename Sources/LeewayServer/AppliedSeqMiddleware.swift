import HTTPTypes
import Hummingbird

/// States on every response the seq of the last journal record the server had applied when the
/// request arrived (`Leeway-Applied-Seq`), on a leader and on a follower alike. The seq only grows,
/// so what the response shows includes at least that record: a client that wrote record R to the
/// leader reads its write from a follower whose header is ≥ R. Every applied record is committed,
/// so the header never names a record beyond the journal's committed head.
struct AppliedSeqMiddleware<Context: RequestContext>: RouterMiddleware {
    let appliedSeq: AppliedSeq

    static var headerName: HTTPField.Name { HTTPField.Name("Leeway-Applied-Seq")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let seq = appliedSeq.value
        var response = try await next(request, context)
        response.headers[Self.headerName] = String(seq)
        return response
    }
}
