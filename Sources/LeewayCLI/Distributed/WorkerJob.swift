import ArgumentParser
import Foundation
import LeewaySimulation

/// A job of the work queue as a worker runs it: rebuilt once from its stored configuration
/// (`DistributedJob`: the coordinator's arguments parsed by the same command, its files from the
/// job), then asked for one unit's result at a time.
enum WorkerJob: Sendable {
    case stress(StressConfiguration)
    case tune(Tuner, candidates: [TuningCandidate])

    /// Rebuilds job `id` from its `kind` and `configuration`; an unreadable job is a usage failure.
    static func build(id: Int64, kind: String, configuration: String) throws -> WorkerJob {
        let job = try DistributedJob.decode(configuration, job: id)
        let files = InputFiles.carried(job.files)
        do {
            switch kind {
            case "stress":
                return .stress(try StressCommand.parse(job.arguments).makeConfiguration(files: files))
            case "tune":
                let tuner = try TuneCommand.parse(job.arguments).makeTuner(files: files)
                return .tune(tuner, candidates: tuner.candidates())
            default:
                throw usageFailure("job \(id) is of kind \(kind), which this build of leeway does not run")
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            throw usageFailure("job \(id)'s arguments do not parse: \(StressCommand.message(for: error))")
        }
    }

    /// The result text of the unit `spec` (`StressWorkUnit` or `TuningWorkUnit`).
    func run(spec: String) throws(SimulationError) -> String {
        switch self {
        case .stress(let configuration):
            let unit = try StressWorkUnit(spec: spec)
            guard unit.paths.upperBound <= configuration.paths else {
                throw SimulationError(code: "bad_work_unit", message: "\(spec): the job has \(configuration.paths) paths")
            }
            return StressWorkUnit.resultText(unit.run(configuration))
        case .tune(let tuner, let candidates):
            return try TuningWorkUnit(spec: spec).run(tuner, candidates: candidates).exactText
        }
    }
}
