// The one re-export of the package: the engine hands on the core (JSON, the event model and
// ARNs, patterns, matching, time, crypto, support, logging, errors), so `import EventRouter`
// stays the front door for the CLI, the HTTP module, the testing helpers and the tests, and no
// other file needs a second import. The dependency still points one way: EventRouterCore
// cannot see the engine.
@_exported import EventRouterCore
