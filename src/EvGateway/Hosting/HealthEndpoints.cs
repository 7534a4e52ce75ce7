using EvGateway.Vehicles;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvGateway.Hosting;

/// <summary>
/// /health/live: the process answers. /health/ready: every configured maker has logged in once, or is in known
/// trouble (wrong password, quota) — a state a human must look at, not one a restart fixes.
/// </summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddGatewayHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<MakersLoggedIn>("makers", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapGatewayHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithTags("Health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteDetails })
            .WithTags("Health");
        return app;
    }

    private static Task WriteDetails(HttpContext context, HealthReport report) => context.Response.WriteAsJsonAsync(new
    {
        status = report.Status.ToString(),
        makers = report.Entries.SelectMany(e => e.Value.Data).ToDictionary(d => d.Key, d => d.Value),
    });

    private sealed class MakersLoggedIn(VehicleDirectory directory) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var providers = directory.Providers.Where(p => p.IsConfigured).ToArray();
            var states = providers.ToDictionary(p => p.Maker, p => (object)(p.Health.Detail is { } detail ? $"{p.Health.State}: {detail}" : p.Health.State.ToString()));
            var starting = providers.Where(p => p.Health.State == ProviderHealthState.Starting).Select(p => p.Maker).ToArray();
            return Task.FromResult(starting.Length == 0
                ? HealthCheckResult.Healthy("Every configured maker has settled.", states)
                : HealthCheckResult.Unhealthy($"Still logging in: {string.Join(", ", starting)}", data: states));
        }
    }
}
