import RealModule

/// Elementary functions for the simulator (RealModule: the same results on every platform that
/// uses the same libm; simulations are seeded, so runs on one machine are bit-identical).
enum SimulationMath {
    static func log(_ x: Double) -> Double { Double.log(x) }
    static func exp(_ x: Double) -> Double { Double.exp(x) }
    static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    static func pow(_ x: Double, _ y: Double) -> Double { Double.pow(x, y) }
    static func cos(_ x: Double) -> Double { Double.cos(x) }
}
