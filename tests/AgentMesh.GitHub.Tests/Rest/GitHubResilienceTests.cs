using System.Net;
using AgentMesh.GitHub.Rest;
using Octokit;
using AgentMesh.Testing;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Rest;

/// <summary>
/// Retries, rate limits, timeouts, conditional GETs and the concurrency cap, against the fake's fault
/// injection. Waits are read from the timers the client creates on the fake clock, which the test then
/// advances: nothing sleeps.
/// </summary>
public sealed class GitHubResilienceTests : IAsyncLifetime
{
    private GitHubHarness _h = null!;

    public async Task InitializeAsync() => _h = await GitHubHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<TimeSpan> Delay(int number) =>
        _h.Time.WaitForDelayAsync(number, GitHubHarness.AttemptTimeout, $"retry delay #{number} to be scheduled");

    [Fact]
    public async Task A_GET_answered_502_twice_is_retried_with_jittered_exponential_backoff()
    {
        _h.GitHub.FailNext("repos/octo/widgets", count: 2, statusCode: 502);

        var call = _h.Client.GetRepositoryAsync("octo", "widgets");
        var first = await Delay(1);
        _h.Time.Clock.Advance(first);
        var second = await Delay(2);
        _h.Time.Clock.Advance(second);
        var repo = await Eventually.WithinAsync(call, "the retried GET");

        repo.FullName.ShouldBe("octo/widgets");
        // Polly's decorrelated jitter around a 1 s median: first retry under 1.4 s, second under 2.9 s.
        first.ShouldBeInRange(TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1.4));
        second.ShouldBeInRange(TimeSpan.FromTicks(1), TimeSpan.FromSeconds(2.9));
        _h.GitHub.Requests.Select(r => r.StatusCode).ShouldBe([502, 502, 200]);
    }

    [Fact]
    public async Task A_POST_answered_502_is_not_repeated_because_GitHub_may_have_acted()
    {
        _h.GitHub.FailNext("repos/octo/widgets/issues", count: 1, statusCode: 502);

        var error = await Should.ThrowAsync<ApiException>(() => _h.Client.Octokit.Issue.Create("octo", "widgets", new NewIssue("t")));

        error.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        _h.GitHub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_secondary_rate_limit_waits_exactly_retry_after()
    {
        _h.GitHub.SecondaryRateLimitNext("repos/octo/widgets", retryAfterSeconds: 37);

        var call = _h.Client.GetRepositoryAsync("octo", "widgets");
        var wait = await Delay(1);
        _h.Time.Clock.Advance(wait);
        await Eventually.WithinAsync(call, "the GET after the secondary limit");

        wait.ShouldBe(TimeSpan.FromSeconds(37));
        _h.GitHub.Requests.Select(r => r.StatusCode).ShouldBe([403, 200]);
    }

    [Fact]
    public async Task A_rate_limited_POST_is_repeated_because_GitHub_refused_it_before_acting()
    {
        _h.GitHub.SecondaryRateLimitNext("repos/octo/widgets/issues", retryAfterSeconds: 5);

        var call = _h.Client.Octokit.Issue.Create("octo", "widgets", new NewIssue("once"));
        _h.Time.Clock.Advance(await Delay(1));
        var issue = await Eventually.WithinAsync(call, "the POST after the secondary limit");

        issue.Number.ShouldBe(1);
        _h.GitHub.State.Repositories["octo/widgets"].Issues.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_secondary_rate_limit_without_retry_after_waits_60_s_then_doubles()
    {
        _h.GitHub.SecondaryRateLimitNext("repos/octo/widgets", retryAfterSeconds: null, count: 2);

        var call = _h.Client.GetRepositoryAsync("octo", "widgets");
        var first = await Delay(1);
        _h.Time.Clock.Advance(first);
        var second = await Delay(2);
        _h.Time.Clock.Advance(second);
        await Eventually.WithinAsync(call, "the GET after two secondary limits");

        first.ShouldBe(TimeSpan.FromSeconds(60));
        second.ShouldBe(TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task A_spent_primary_rate_limit_waits_until_x_ratelimit_reset()
    {
        var reset = DateTimeOffset.FromUnixTimeSeconds(_h.Time.GetUtcNow().ToUnixTimeSeconds() + 120);
        _h.GitHub.PrimaryRateLimitNext("repos/octo/widgets", reset);

        var call = _h.Client.GetRepositoryAsync("octo", "widgets");
        var wait = await Delay(1);
        var whileWaiting = _h.Client.RateLimit.Current!;
        _h.Time.Clock.Advance(wait);
        await Eventually.WithinAsync(call, "the GET after the reset");

        wait.ShouldBe(TimeSpan.FromSeconds(120));
        whileWaiting.Remaining.ShouldBe(0);
        whileWaiting.ResetAt.ShouldBe(reset);
        _h.Client.RateLimit.Current!.Remaining.ShouldBe(4999);
    }

    [Fact]
    public async Task After_the_limit_is_seen_spent_the_next_request_is_held_until_the_reset_before_it_is_sent()
    {
        await using var h = await GitHubHarness.StartAsync(o => o.MaxRetryAttempts = 0);
        // Longer than the attempt timeout (17 min here): the hold is not an attempt and must not be cut short.
        var reset = DateTimeOffset.FromUnixTimeSeconds(h.Time.GetUtcNow().ToUnixTimeSeconds() + 1800);
        h.GitHub.PrimaryRateLimitNext("repos/octo/widgets", reset);
        (await Should.ThrowAsync<RateLimitExceededException>(() => h.Client.GetRepositoryAsync("octo", "widgets"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var call = h.Client.GetRepositoryAsync("octo", "widgets");
        var wait = await h.Time.WaitForDelayAsync(1, GitHubHarness.AttemptTimeout, "the hold before sending");
        var sentWhileHeld = h.GitHub.Requests.Count;
        h.Time.Clock.Advance(wait);
        await Eventually.WithinAsync(call, "the held GET");

        wait.ShouldBe(TimeSpan.FromSeconds(1800));
        sentWhileHeld.ShouldBe(1);
        h.GitHub.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task An_attempt_that_hangs_times_out_and_is_retried()
    {
        var hold = _h.GitHub.HoldNext("repos/octo/widgets");

        var call = _h.Client.GetRepositoryAsync("octo", "widgets");
        await Eventually.WithinAsync(hold.Arrived, "the first attempt to reach the fake");
        await Eventually.UntilAsync(() => _h.Time.Timers.Contains(GitHubHarness.AttemptTimeout), "the attempt timeout timer");
        _h.Time.Clock.Advance(GitHubHarness.AttemptTimeout);
        _h.Time.Clock.Advance(await Delay(1));
        var repo = await Eventually.WithinAsync(call, "the retried GET after the timeout");
        hold.Release();

        repo.FullName.ShouldBe("octo/widgets");
        _h.GitHub.Requests.Where(r => r.StatusCode == 200).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_repeated_GET_is_conditional_and_a_304_serves_the_cached_body_without_spending_the_limit()
    {
        var first = await _h.Client.GetRepositoryAsync("octo", "widgets");
        var afterFirst = _h.Client.RateLimit.Current!.Remaining;
        var second = await _h.Client.GetRepositoryAsync("octo", "widgets");
        var afterSecond = _h.Client.RateLimit.Current!.Remaining;

        second.FullName.ShouldBe(first.FullName);
        second.Id.ShouldBe(first.Id);
        afterFirst.ShouldBe(4999);
        afterSecond.ShouldBe(4999);
        _h.GitHub.Requests.Select(r => r.StatusCode).ShouldBe([200, 304]);
        _h.GitHub.Requests[0].IfNoneMatch.ShouldBeNull();
        _h.GitHub.Requests[1].IfNoneMatch.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_changed_resource_is_read_fresh_despite_the_cache()
    {
        var issue = _h.GitHub.CreateIssue("octo/widgets", "before", null, "alice");
        (await _h.Client.GetIssueAsync("octo", "widgets", issue.Number)).Title.ShouldBe("before");
        lock (_h.GitHub.State.Gate)
        {
            issue.Title = "after";
        }

        (await _h.Client.GetIssueAsync("octo", "widgets", issue.Number)).Title.ShouldBe("after");
        _h.GitHub.Requests.Select(r => r.StatusCode).ShouldBe([200, 200]);
    }

    [Fact]
    public async Task With_a_cap_of_one_a_second_request_waits_for_the_first_to_finish()
    {
        await using var h = await GitHubHarness.StartAsync(o =>
        {
            o.MaxConcurrentRequestsPerToken = 1;
            o.MaxRetryAttempts = 0;
        });
        var issue = h.GitHub.CreateIssue("octo/widgets", "t", null, "alice");
        var hold = h.GitHub.HoldNext($"repos/octo/widgets/issues/{issue.Number}");

        var held = h.Client.GetIssueAsync("octo", "widgets", issue.Number);
        await Eventually.WithinAsync(hold.Arrived, "the first request to reach the fake");
        var queued = h.Client.GetRepositoryAsync("octo", "widgets");
        hold.Release();
        await Should.ThrowAsync<ApiException>(() => held);
        await Eventually.WithinAsync(queued, "the queued request");

        // Without the cap the second request would have been answered while the first was still held.
        h.GitHub.Requests.Select(r => (r.Path, r.StatusCode)).ShouldBe([($"repos/octo/widgets/issues/{issue.Number}", 502), ("repos/octo/widgets", 200)]);
    }

    [Fact]
    public async Task A_secondary_rate_limit_answered_429_waits_retry_after_like_a_403()
    {
        _h.GitHub.SecondaryRateLimitNext("repos/octo/widgets", retryAfterSeconds: 12, statusCode: 429);

        var call = _h.Client.GetRepositoryAsync("octo", "widgets");
        var wait = await Delay(1);
        _h.Time.Clock.Advance(wait);
        await Eventually.WithinAsync(call, "the GET after the 429");

        wait.ShouldBe(TimeSpan.FromSeconds(12));
        _h.GitHub.Requests.Select(r => r.StatusCode).ShouldBe([429, 200]);
    }

    [Fact]
    public async Task A_403_that_is_not_a_rate_limit_is_not_retried()
    {
        // A permission answer (an installation without the permission), not a limit: retrying cannot change it.
        _h.GitHub.FailNext("repos/octo/widgets", count: 1, statusCode: 403);
        var error = await Should.ThrowAsync<ForbiddenException>(() => _h.Client.GetRepositoryAsync("octo", "widgets"));

        error.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        _h.GitHub.Requests.Count.ShouldBe(1);
        _h.Time.Timers.ShouldNotContain(t => t != GitHubHarness.AttemptTimeout);
    }

    [Fact]
    public async Task The_ETag_cache_is_per_credential_so_one_token_never_sees_anothers_answer()
    {
        var other = _h.Factory.ForToken(_h.GitHub.CreateToken("octo"));

        await _h.Client.GetRepositoryAsync("octo", "widgets");
        await other.GetRepositoryAsync("octo", "widgets");
        await other.GetRepositoryAsync("octo", "widgets");

        _h.GitHub.Requests.Select(r => (r.StatusCode, r.IfNoneMatch is null)).ShouldBe([(200, true), (200, true), (304, false)]);
    }

    [Fact]
    public async Task The_ETag_cache_is_bounded()
    {
        await using var h = await GitHubHarness.StartAsync(o => o.MaxCachedResponses = 1);
        var issue = h.GitHub.CreateIssue("octo/widgets", "t", null, "alice");

        await h.Client.GetRepositoryAsync("octo", "widgets");
        await h.Client.GetIssueAsync("octo", "widgets", issue.Number);
        await h.Client.GetRepositoryAsync("octo", "widgets");
        await h.Client.GetIssueAsync("octo", "widgets", issue.Number);

        // With room for one answer, each GET pushed the other out: nothing was ever conditional.
        h.GitHub.Requests.ShouldAllBe(r => r.StatusCode == 200 && r.IfNoneMatch == null);
    }

    [Fact]
    public async Task Cancelling_a_call_aborts_its_request_and_frees_the_concurrency_slot()
    {
        await using var h = await GitHubHarness.StartAsync(o => o.MaxConcurrentRequestsPerToken = 1);
        var issue = h.GitHub.CreateIssue("octo/widgets", "t", null, "alice");
        var hold = h.GitHub.HoldNext($"repos/octo/widgets/issues/{issue.Number}");
        using var cancellation = new CancellationTokenSource();

        var hung = h.Client.GetIssueAsync("octo", "widgets", issue.Number, cancellation.Token);
        await Eventually.WithinAsync(hold.Arrived, "the first request to reach the fake");
        var queued = h.Client.GetRepositoryAsync("octo", "widgets");
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => hung);
        // Octokit passes no token of its own: only the caller's, carried to our handlers, ends the hung request
        // (its attempt timeout is 17 minutes of a clock nobody advances) and lets the queued one through.
        (await Eventually.WithinAsync(queued, "the request queued behind the cancelled one")).FullName.ShouldBe("octo/widgets");
        hold.Release();
    }

    [Fact]
    public void Options_validation_names_the_bad_setting()
    {
        var error = Should.Throw<ArgumentException>(() => new GitHubClientOptions { MaxConcurrentRequestsPerToken = 0 }.Validate());

        error.Message.ShouldBe("GitHub:Rest:MaxConcurrentRequestsPerToken must be positive, but is 0.");
    }

    [Fact]
    public async Task A_next_page_link_to_another_origin_is_refused_so_the_token_never_leaves()
    {
        // Octokit follows a Link header's absolute URL as it is, Authorization attached.
        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            _h.Client.Octokit.Connection.Get<Repository>(new Uri("https://evil.example/repos/octo/widgets"), null));

        error.Message.ShouldStartWith("Refusing to send GitHub credentials to https://evil.example/repos/octo/widgets");
        _h.GitHub.Requests.ShouldBeEmpty();
    }
}
