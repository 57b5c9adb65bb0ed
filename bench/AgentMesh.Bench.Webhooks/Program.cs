Console.Error.WriteLine("This benchmark is being written; see docs/performance.md.");
return 1;
