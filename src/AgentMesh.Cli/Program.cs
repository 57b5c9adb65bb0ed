using AgentMesh.Cli;

var parsed = AgentMeshCommand.Create().Parse(args);
return await parsed.InvokeAsync(AgentMeshCommand.InvocationFor(parsed)).ConfigureAwait(false);
