using EvGateway.Vehicles.Accounts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvGateway.Accounts;

/// <summary>/health/ready names every account that waits for its owner (a login, a code, a new password).</summary>
internal sealed class AccountsHealth(IEnumerable<IMakerAccount> accounts) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var waiting = accounts.Select(account => account.Status).Where(status => status.NeedsOwner).ToArray();
        var data = waiting.ToDictionary(status => $"account:{status.Maker}", status => (object)(status.Detail is { } detail
            ? $"{AccountStateNames.Of(status.State)}: {detail}"
            : AccountStateNames.Of(status.State)));
        return Task.FromResult(waiting.Length == 0
            ? HealthCheckResult.Healthy("No account waits for its owner.")
            : HealthCheckResult.Degraded($"Waiting for the owner: {string.Join(", ", waiting.Select(s => s.Maker))} (see /setup)", data: data));
    }
}
