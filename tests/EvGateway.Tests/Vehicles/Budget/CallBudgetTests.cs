using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Vehicles.Budget;

public sealed class CallBudgetTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-11-25T18:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Background_refreshes_stop_at_60_percent_so_the_rest_of_the_hour_stays_for_people_and_commands()
    {
        var budget = new CallBudget("Renault", () => 60, time);

        var background = Enumerable.Range(0, 100).Count(attempt => budget.TrySpend(CallPriority.Background, out _));
        var chargeControl = Enumerable.Range(0, 100).Count(attempt => budget.TrySpend(CallPriority.ChargeControl, out _));
        var person = Enumerable.Range(0, 100).Count(attempt => budget.TrySpend(CallPriority.Person, out _));
        var commands = Enumerable.Range(0, 100).Count(attempt => budget.TrySpend(CallPriority.Command, out _));

        Assert.Equal((36, 12, 6, 6), (background, chargeControl, person, commands));
        Assert.Equal(new CallBudgetView(60, 60, 0, time.GetUtcNow().AddHours(1)), budget.Snapshot());
    }

    [Fact]
    public void A_refused_priority_is_told_when_the_oldest_calls_leave_the_window()
    {
        var budget = new CallBudget("Renault", () => 10, time);
        for (var i = 0; i < 6; i++)
        {
            Assert.True(budget.TrySpend(CallPriority.Background, out _));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var refused = !budget.Admits(CallPriority.Background, 2, out var retryAfter);
        time.Advance(retryAfter);

        Assert.True(refused);
        // Two calls need the two oldest gone: the second left at 01:01, six minutes after the last one was made.
        Assert.Equal(TimeSpan.FromMinutes(55), retryAfter);
        Assert.True(budget.Admits(CallPriority.Background, 2, out _));
        Assert.Equal(4, budget.Snapshot().Used);
    }

    [Fact]
    public void A_changed_setting_applies_to_the_next_call()
    {
        var perHour = 2;
        var budget = new CallBudget("Psa", () => perHour, time);
        budget.TrySpend(CallPriority.Command, out _);
        budget.TrySpend(CallPriority.Command, out _);

        var before = budget.TrySpend(CallPriority.Command, out _);
        perHour = 3;
        var after = budget.TrySpend(CallPriority.Command, out _);

        Assert.False(before);
        Assert.True(after);
    }
}
