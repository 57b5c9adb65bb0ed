using Xunit;

// Each test runs a node and a real Claude Code CLI; on a 2-core machine they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
