using System.Collections.Concurrent;
using EvGateway.Vehicles.Accounts;

namespace EvGateway.Vehicles.Budget;

/// <summary>A maker's hourly call budget setting: each maker registers one with the default that suits its cloud.</summary>
/// <param name="Maker">The adapter's name (<see cref="IVehicleProvider.Maker"/>).</param>
/// <param name="PerHour">Reads the current setting (e.g. <c>Renault:CallBudgetPerHour</c>), so a changed setting applies at once.</param>
public sealed record CallBudgetLimit(string Maker, Func<int> PerHour);

/// <summary>
/// Every maker account's <see cref="CallBudget"/>. The gateway holds one account per maker, so the budget is keyed by
/// maker; a maker without a registered limit gets an unlimited budget (stand-ins, demo adapters without HTTP).
/// </summary>
public sealed class CallBudgets
{
    private readonly Dictionary<string, CallBudgetLimit> limits;
    private readonly ConcurrentDictionary<string, CallBudget> budgets = new(StringComparer.OrdinalIgnoreCase);
    private readonly GatewayMetrics metrics;
    private readonly TimeProvider time;

    public CallBudgets(IEnumerable<CallBudgetLimit> limits, GatewayMetrics metrics, TimeProvider time)
    {
        this.limits = limits.ToDictionary(limit => limit.Maker, StringComparer.OrdinalIgnoreCase);
        this.metrics = metrics;
        this.time = time;
        // The gauges move as calls leave the window, with no event to hang an update on: each scrape reads them fresh.
        metrics.Registry.AddBeforeCollectCallback(Publish);
    }

    /// <summary>The makers with a budget, for /api/accounts and /metrics.</summary>
    public IEnumerable<string> Makers => limits.Keys;

    public CallBudget For(string maker) => budgets.GetOrAdd(maker, name =>
        new CallBudget(name, limits.TryGetValue(name, out var limit) ? limit.PerHour : () => int.MaxValue, time));

    /// <summary>The budget view of <paramref name="maker"/>, or null when it has no budget.</summary>
    public CallBudgetView? ViewOf(string maker) => limits.ContainsKey(maker) ? For(maker).Snapshot() : null;

    /// <summary>The account as the API and the event streams show it: with its maker's call budget as it stands now.</summary>
    public AccountStatus WithBudget(AccountStatus status) => status with { CallBudget = ViewOf(status.Maker) };

    /// <summary>Counts a read or call that had to wait for the budget (served from cache, refused, or put off).</summary>
    public void Deferred(string maker, CallPriority priority) =>
        metrics.CallsDeferred.WithLabels(maker, PriorityLabel(priority)).Inc();

    private void Publish()
    {
        foreach (var maker in limits.Keys)
        {
            var view = For(maker).Snapshot();
            metrics.CallBudgetUsed.WithLabels(maker).Set(view.Used);
            metrics.CallBudgetLeft.WithLabels(maker).Set(view.Left);
        }
    }

    public static string PriorityLabel(CallPriority priority) => priority switch
    {
        CallPriority.Command => "command",
        CallPriority.Person => "person",
        CallPriority.ChargeControl => "charge_control",
        _ => "background",
    };
}
