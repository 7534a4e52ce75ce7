using EvGateway.Simulator;

namespace EvGateway.Hosting;

/// <summary>
/// With no maker configured (or Gateway:Demo=true), the gateway starts the simulated clouds in-process and points
/// the real adapters at them, so a new user sees cars at once and every route works.
/// </summary>
public static class DemoMode
{
    public static WebApplicationBuilder AddDemoMode(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var configured = !string.IsNullOrWhiteSpace(configuration["Renault:Username"]) || !string.IsNullOrWhiteSpace(configuration["Psa:RefreshToken"]);
        if (!(configuration.GetValue<bool?>("Gateway:Demo") ?? !configured))
        {
            return builder;
        }

        // Started during composition because the adapters' base URLs must be known before they are configured.
        var simulator = CloudSimulator.StartAsync(new SimulatorOptions()).GetAwaiter().GetResult();
        builder.Services.AddSingleton(simulator);
        configuration.AddInMemoryCollection(SimulatorSettings(simulator));
        builder.Services.AddHostedService<DemoAnnouncement>();
        return builder;
    }

    /// <summary>The configuration that points every adapter at a simulator (also used by tests).</summary>
    public static Dictionary<string, string?> SimulatorSettings(CloudSimulator simulator) => new()
    {
        ["Renault:Username"] = EvGateway.Simulator.Renault.RenaultCloud.DemoUsername,
        ["Renault:Password"] = EvGateway.Simulator.Renault.RenaultCloud.DemoPassword,
        ["Renault:GigyaUrl"] = simulator.Renault.GigyaUrl.ToString(),
        ["Renault:KamereonUrl"] = simulator.Renault.KamereonUrl.ToString(),
    };

    private sealed class DemoAnnouncement(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<DemoAnnouncement> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                var addresses = services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                    .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
                var url = (addresses?.FirstOrDefault() ?? "http://localhost:5000").Replace("0.0.0.0", "localhost").Replace("[::]", "localhost");
                logger.LogInformation("Demo mode: no car maker is configured, serving simulated cars. Open {Url}/swagger", url.TrimEnd('/'));
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
