/// When a runtime fires its scheduled rules (see ``ScheduleRunner``).
public enum ScheduleWindow: Sendable, Hashable {
    /// On a real clock, from when the runtime is built, with no end (`eventrouter run`); on
    /// virtual time, never (a replay fires schedules only in a window it is given).
    case automatic
    /// Never.
    case off
    /// At every scheduled minute in `[start, until]` (`until` `nil`: no end).
    case window(start: Timestamp, until: Timestamp?)
}
