/// An arithmetic result that the engine's fixed-point range cannot hold, or a division by zero.
/// These are reported as errors (rejections), never as traps or silent wrap-around.
public enum ArithmeticError: Error, Sendable, Hashable {
    case overflow
    case divisionByZero
}
