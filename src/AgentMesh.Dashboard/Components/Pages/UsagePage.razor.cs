using System.Globalization;
using AgentMesh.Dashboard.Tenants;
using AgentMesh.Dashboard.Usage;
using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AgentMesh.Dashboard.Components.Pages;

/// <summary>
/// Tokens and cost per day by repository, the success rate of runs, and how much of each budget is
/// spent now. Read only for every role: nothing here changes anything.
/// </summary>
public sealed partial class UsagePage : IDisposable
{
    private static readonly int[] DayChoices = [7, 14, 30];

    // A day costs dollars, not thousands of them: ticks a dollar apart (the default is 20), in cents.
    private static readonly LineChartOptions CostAxis = new() { YAxisTicks = 1, YAxisFormat = "0.00" };

    private readonly CancellationTokenSource _stopping = new();
    private DailyUsage _usage = new([], []);
    private IReadOnlyList<BudgetGauge> _gauges = [];
    private List<ChartSeries<double>> _tokenSeries = [];
    private List<ChartSeries<double>> _costSeries = [];
    private string[] _labels = [];

    [Inject] private IAgentMeshStore Store { get; set; } = null!;
    [Inject] private IBudgetGauges Budgets { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private TenantScopes Scopes { get; set; } = null!;

    [CascadingParameter] private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> AuthenticationState { get; set; } = null!;

    /// <summary>How many UTC days the charts cover, today included.</summary>
    private int Days { get; set; } = 14;

    internal DailyUsage Usage => _usage;
    private string? LoadError { get; set; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task ChangeDaysAsync(int days)
    {
        Days = days;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var today = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        var first = today.AddDays(-(Days - 1));
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        try
        {
            // A tenant's member sees its repositories' usage and budgets, and the node-wide budget.
            var scope = await Scopes.ForAsync((await AuthenticationState).User, _stopping.Token);
            var hours = await Store.Usage.ReadAsync(from, from.AddDays(Days), cancellationToken: _stopping.Token);
            _usage = UsageSeries.ByDay(hours.Where(h => scope.Allows(h.Repo)), first, Days);
            _gauges = [.. (await Budgets.ReadAsync(_stopping.Token)).Where(g => g.Scope == BudgetGauge.Global || scope.Allows(g.Scope))];
            LoadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LoadError = $"Usage could not be read: {ex.Message}";
        }
        _labels = [.. _usage.Days.Select(d => d.ToString("MM-dd", CultureInfo.InvariantCulture))];
        _tokenSeries = [.. _usage.Repos.Select(r => Series(r.Repo, r.Tokens.Select(t => (double)t)))];
        _costSeries = [.. _usage.Repos.Select(r => Series(r.Repo, r.CostUsd.Select(c => (double)c)))];
    }

    private static ChartSeries<double> Series(string name, IEnumerable<double> values) =>
        new() { Name = name, Data = new ChartData<double>([.. values]) };

    private static string Percent(double? fraction) =>
        fraction is { } value ? value.ToString("0%", CultureInfo.InvariantCulture) : "–";

    private static string WindowName(BudgetWindow window) => window == BudgetWindow.Hour ? "hour" : "day";

    private static Color GaugeColor(BudgetGauge gauge) => gauge.Fraction switch
    {
        null => Color.Default,
        >= 1 => Color.Error,
        >= 0.8 => Color.Warning,
        _ => Color.Success,
    };

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
