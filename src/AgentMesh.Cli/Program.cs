Console.WriteLine("agentmesh: being built");
