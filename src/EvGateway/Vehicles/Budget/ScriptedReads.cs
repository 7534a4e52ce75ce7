namespace EvGateway.Vehicles.Budget;

/// <summary>
/// Tells a read a person asked for from home-automation polling, for reads on the REST and legacy surfaces. The rule
/// (README, "Call budget"): a request from the gateway's own pages (a browser's same-origin fetch) is a person's; so is
/// a scripted read while the car's cached status is older than its refresh policy's interval. A scripted read asking
/// for fresher data while the cache is younger than that interval repeats more often than the policy allows: it is a
/// background read, answered from the cache until the interval ends. So however many pollers ask with maxAge=0, a
/// car reaches the cloud for them once per interval.
/// </summary>
public sealed class ScriptedReads(RefreshPolicies policies, VehicleStatusCache cache, TimeProvider time)
{
    /// <summary>The intent and the maxAge the read of <paramref name="vin"/> is served with.</summary>
    public (CallIntent Intent, TimeSpan MaxAge) Classify(string vin, TimeSpan maxAge, bool fromGatewayPage)
    {
        if (fromGatewayPage)
        {
            return (CallIntent.Unspecified, maxAge);
        }

        var cached = cache.Peek(vin);
        if (policies.IntervalFor(vin, cached) is not { } interval || maxAge >= interval || cached is null
            || time.GetUtcNow() - cached.FetchedAt >= interval)
        {
            return (CallIntent.Unspecified, maxAge);
        }

        return (new CallIntent(CallPriority.Background, ByPerson: false), interval);
    }

    /// <summary>A status of the car for a request on the REST or legacy surface, classified as above.</summary>
    public ValueTask<VehicleStatus> ReadAsync(VehicleEntry entry, TimeSpan maxAge, HttpRequest request, CancellationToken cancellationToken)
    {
        var (intent, servedMaxAge) = Classify(entry.Vehicle.Vin, maxAge, IsFromGatewayPage(request));
        // Most reads are answered from the cache: no cloud call, so no intent to carry to one.
        return cache.TryGetFresh(entry, servedMaxAge, out var fresh)
            ? ValueTask.FromResult(fresh)
            : new(ReadWithIntentAsync(entry, servedMaxAge, intent, cancellationToken));
    }

    private async Task<VehicleStatus> ReadWithIntentAsync(VehicleEntry entry, TimeSpan maxAge, CallIntent intent, CancellationToken cancellationToken)
    {
        using var scope = CallIntent.Enter(intent);
        return await cache.GetAsync(entry, maxAge, cancellationToken);
    }

    /// <summary>
    /// True for a browser's request from the gateway's own pages: browsers send <c>Sec-Fetch-Site: same-origin</c> on
    /// their own, scripts and home-automation hubs do not.
    /// </summary>
    public static bool IsFromGatewayPage(HttpRequest request) =>
        string.Equals(request.Headers["Sec-Fetch-Site"], "same-origin", StringComparison.OrdinalIgnoreCase);
}
