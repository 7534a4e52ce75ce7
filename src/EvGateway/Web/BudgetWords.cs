using EvGateway.Vehicles.Budget;

namespace EvGateway.Web;

/// <summary>The dashboard's words for what the cloud-call budget allows: an account's calls this hour, a car's next refresh.</summary>
public static class BudgetWords
{
    /// <summary>Below this share of the hourly budget left, the line also says when a call frees up.</summary>
    private const double LowShare = 0.2;

    /// <summary>"cloud calls this hour: 7/60", and when little is left "(one frees up in 12 min)".</summary>
    public static string Calls(CallBudgetView budget, DateTimeOffset now)
    {
        var used = $"cloud calls this hour: {budget.Used}/{budget.PerHour}";
        return budget.Left < budget.PerHour * LowShare ? $"{used} (one frees up {In(budget.ResetsAt - now)})" : used;
    }

    /// <summary>"next refresh in 5 min", or "no automatic refresh" when there is none (policy <c>never</c>).</summary>
    public static string Refresh(DateTimeOffset? next, DateTimeOffset now) =>
        next is { } at ? $"next refresh {In(at - now)}" : "no automatic refresh";

    /// <summary>The policy's name as the settings and the REST surface spell it.</summary>
    public static string Name(RefreshPolicy policy) => policy.ToString().ToLowerInvariant();

    // Rounded up: "in 0 min" would read as now while the wait is still running.
    private static string In(TimeSpan wait) => wait <= TimeSpan.Zero ? "now" : $"in {CarCard.Minutes((int)Math.Ceiling(wait.TotalMinutes))}";
}
