/// Helpers for testing code built on EventRouter: the manual clock (re-exported from the
/// library, where `replay --virtual-time` uses it too), recording targets and fixtures.
@_exported import EventRouter
