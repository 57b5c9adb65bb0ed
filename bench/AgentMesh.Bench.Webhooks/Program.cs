using AgentMesh.Bench.Webhooks;

// `AgentMesh.Bench.Webhooks` runs the whole benchmark (node in this process, load from a child process);
// `AgentMesh.Bench.Webhooks load ...` is that child: an open-loop generator.
return args is ["load", ..]
    ? await LoadGenerator.RunAsync(args[1..])
    : await Orchestrator.RunAsync(args);
