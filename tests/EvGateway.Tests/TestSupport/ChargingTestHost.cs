using EvGateway.Charging;
using EvGateway.Hosting;
using EvGateway.Legacy;
using EvGateway.Vehicles;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// The gateway's charging feature hosted the way Program.cs composes it (AddCharging/MapCharging over the vehicle
/// directory and status cache), on an in-memory server with a fake clock and the given maker adapters.
/// </summary>
internal sealed class ChargingTestHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private ChargingTestHost(WebApplication app)
    {
        this.app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }
    public IServiceProvider Services => app.Services;

    public static async Task<ChargingTestHost> StartAsync(TimeProvider time, string dataDirectory, IEnumerable<IVehicleProvider> providers,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:DataDirectory"] = dataDirectory,
            ["Charging:TimeZone"] = "Europe/Paris",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton(time);
        ChargingServices.AddProviders(builder.Services, providers);

        builder.Services.AddSingleton<GatewayMetrics>(new GatewayMetrics(Prometheus.Metrics.NewCustomRegistry()));
        builder.Services.AddSingleton<VehicleDirectory>();
        builder.Services.AddSingleton<VehicleStatusCache>();
        builder.Services.AddSingleton<VehicleCommands>();
        builder.Services.AddGatewayProblemDetails();
        builder.Services.AddValidatorsFromAssemblyContaining<Program>();
        builder.Services.AddCharging(builder.Configuration);
        builder.Services.AddLegacy();
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseCors();
        app.MapCharging();
        app.MapLegacy();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new ChargingTestHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
