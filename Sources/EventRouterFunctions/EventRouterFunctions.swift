// The Swift functions of `Functions/`, compiled in by FunctionRegistryPlugin, which generates
// `CompiledFunctions` (`CompiledFunctions.register(into:)`, `CompiledFunctions.registry()`).
@_exported import EventRouter
