using AgentMesh.Cli;

return await AgentMeshCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
