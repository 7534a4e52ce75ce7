namespace EvGateway.Vehicles.Budget;

/// <summary>
/// The calls one maker account may make to its cloud in any rolling hour, spent by priority: a priority may only use
/// the budget up to its share, so the rest of the hour stays for the ones above it (commands may use it all, reads a
/// person asked for 90 %, charge control 80 %, background and home-automation refreshes 60 %).
/// </summary>
/// <remarks>
/// A sliding window of call times on the gateway's <see cref="TimeProvider"/>, not a System.Threading.RateLimiting
/// limiter: those replenish on their own timers and cannot follow a FakeTimeProvider, so a simulated hour could not be
/// tested. The window is exact (one timestamp per call), which a budget of a few dozen calls an hour affords.
/// </remarks>
public sealed class CallBudget(string maker, Func<int> perHour, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Queue<DateTimeOffset> spent = new();
    private readonly Lock gate = new();

    public string Maker { get; } = maker;

    public int PerHour => Math.Max(0, perHour());

    /// <summary>The calls <paramref name="priority"/> may have made in the window before it must stop.</summary>
    public int ShareOf(CallPriority priority) => (int)(PerHour * (long)(priority switch
    {
        CallPriority.Command => 10,
        CallPriority.Person => 9,
        CallPriority.ChargeControl => 8,
        _ => 6,
    }) / 10);

    /// <summary>
    /// True when <paramref name="calls"/> more calls fit in <paramref name="priority"/>'s share; otherwise
    /// <paramref name="retryAfter"/> says when they will (as older calls leave the window).
    /// </summary>
    public bool Admits(CallPriority priority, int calls, out TimeSpan retryAfter)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            Expire(now);
            return Fits(priority, calls, now, out retryAfter);
        }
    }

    /// <summary>Spends one call for <paramref name="priority"/>, or says how long until it could.</summary>
    public bool TrySpend(CallPriority priority, out TimeSpan retryAfter)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            Expire(now);
            if (!Fits(priority, 1, now, out retryAfter))
            {
                return false;
            }

            spent.Enqueue(now);
            return true;
        }
    }

    /// <summary>Where the budget stands now, as /api/accounts and /metrics show it.</summary>
    public CallBudgetView Snapshot()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            Expire(now);
            var limit = PerHour;
            // The next call to leave the window frees the first unit; with nothing spent the budget is whole already.
            var resetsAt = spent.Count > 0 ? spent.Peek() + Window : now;
            return new CallBudgetView(limit, spent.Count, Math.Max(0, limit - spent.Count), resetsAt);
        }
    }

    private bool Fits(CallPriority priority, int calls, DateTimeOffset now, out TimeSpan retryAfter)
    {
        var share = ShareOf(priority);
        var excess = spent.Count + calls - share;
        if (excess <= 0)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        // The excess-th oldest call leaving the window makes room; a need larger than the share waits a whole window.
        retryAfter = excess <= spent.Count ? spent.ElementAt(excess - 1) + Window - now : Window;
        return false;
    }

    private void Expire(DateTimeOffset now)
    {
        while (spent.Count > 0 && spent.Peek() <= now - Window)
        {
            spent.Dequeue();
        }
    }
}

/// <summary>A budget as <c>GET /api/accounts</c> shows it (<c>callBudget</c>).</summary>
/// <param name="PerHour">Calls allowed in any rolling hour.</param>
/// <param name="Used">Calls made in the last hour.</param>
/// <param name="Left">Calls still allowed now (commands may use them all; lower priorities less).</param>
/// <param name="ResetsAt">When the oldest counted call leaves the window and frees a call (now when none is counted).</param>
public sealed record CallBudgetView(int PerHour, int Used, int Left, DateTimeOffset ResetsAt);
