using AgentMesh.Core.Repos;
using FsCheck;
using FsCheck.Fluent;
using Shouldly;

namespace AgentMesh.Core.Tests.Repos;

public sealed class BudgetLedgerTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 21, 10, 20, 0, TimeSpan.Zero);

    [Fact]
    public void Usage_is_summed_per_utc_hour_and_day()
    {
        var ledger = BudgetLedger.Empty.Record(100, T).Record(50, T.AddMinutes(30)).Record(7, T.AddMinutes(45));

        ledger.Hourly.ShouldBe([new UsageWindow(T.AddMinutes(-20), 150), new UsageWindow(T.AddMinutes(40), 7)]);
        ledger.Daily.ShouldBe([new UsageWindow(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), 157)]);
        ledger.UsedThisHour(T.AddMinutes(10)).ShouldBe(150);
        ledger.UsedThisHour(T.AddMinutes(41)).ShouldBe(7);
        ledger.UsedToday(T).ShouldBe(157);
        ledger.UsedToday(T.AddDays(1)).ShouldBe(0);
    }

    [Fact]
    public void Windows_use_utc_whatever_the_offset_of_the_timestamp()
    {
        var inBerlin = new DateTimeOffset(2026, 11, 22, 0, 30, 0, TimeSpan.FromHours(1));

        BudgetLedger.DayStart(inBerlin).ShouldBe(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero));
        BudgetLedger.HourStart(inBerlin).ShouldBe(new DateTimeOffset(2026, 11, 21, 23, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Only_the_last_24_hours_and_7_days_are_kept()
    {
        var ledger = BudgetLedger.Empty;
        for (var h = 0; h < 24 * 10; h++)
        {
            ledger = ledger.Record(1, T.AddHours(h));
        }

        ledger.Hourly.Count.ShouldBe(24);
        ledger.Hourly[0].Start.ShouldBe(BudgetLedger.HourStart(T.AddHours(24 * 10 - 24)));
        ledger.Daily.Count.ShouldBe(7);
        ledger.Daily[^1].Start.ShouldBe(BudgetLedger.DayStart(T.AddHours(24 * 10 - 1)));
    }

    [Fact]
    public void Late_usage_lands_in_its_own_window_in_order_or_is_dropped_when_already_out_of_retention()
    {
        var ledger = BudgetLedger.Empty.Record(10, T.AddHours(30)).Record(5, T.AddHours(29)).Record(99, T);

        ledger.Hourly.Select(w => (w.Start, w.Tokens)).ShouldBe(
        [
            (BudgetLedger.HourStart(T.AddHours(29)), 5L),
            (BudgetLedger.HourStart(T.AddHours(30)), 10L),
        ]);
        ledger.UsedToday(T).ShouldBe(99);
    }

    [Fact]
    public void Negative_usage_is_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => BudgetLedger.Empty.Record(-1, T));
    }

    [Fact]
    public void Any_recording_order_keeps_windows_sorted_unique_bounded_and_the_current_totals_exact()
    {
        var entries = Gen.Choose(0, 24 * 9).SelectMany(h => Gen.Choose(0, 1000).Select(t => (Hour: h, Tokens: t)));
        Prop.ForAll(
                Gen.ArrayOf(entries).ToArbitrary(),
                list =>
                {
                    var ledger = list.Aggregate(BudgetLedger.Empty, (l, e) => l.Record(e.Tokens, T.AddHours(e.Hour)));
                    var starts = ledger.Hourly.Select(w => w.Start).ToArray();
                    starts.ShouldBe(starts.Distinct().Order().ToArray());
                    ledger.Hourly.Count.ShouldBeLessThanOrEqualTo(BudgetLedger.HourlyWindowsKept);
                    ledger.Daily.Count.ShouldBeLessThanOrEqualTo(BudgetLedger.DailyWindowsKept);
                    if (list.Length > 0)
                    {
                        // Usage recorded out of order: the hour of the last entry still sums every entry in it
                        // unless a later hour pushed it out of retention.
                        var last = list[^1];
                        var latest = list.Max(e => e.Hour);
                        if (latest - last.Hour < BudgetLedger.HourlyWindowsKept)
                        {
                            ledger.UsedThisHour(T.AddHours(last.Hour)).ShouldBe(list.Where(e => e.Hour == last.Hour).Sum(e => (long)e.Tokens));
                        }
                    }
                })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }
}
