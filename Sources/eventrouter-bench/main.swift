// Release-mode benchmarks: `swift run -c release eventrouter-bench --help`.
print("eventrouter-bench: no benchmarks yet")
