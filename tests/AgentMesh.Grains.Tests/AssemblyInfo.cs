// Each test starts a cluster of silos: one at a time on a 2-core machine.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
