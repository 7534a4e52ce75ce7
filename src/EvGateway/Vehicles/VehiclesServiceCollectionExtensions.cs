using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EvGateway.Vehicles;

public static class VehiclesServiceCollectionExtensions
{
    /// <summary>The brand-neutral core: directory, status cache, command gate and the start-up login.</summary>
    public static IServiceCollection AddVehicles(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayMetrics>();
        services.AddSingleton<VehicleDirectory>();
        services.AddSingleton<VehicleStatusCache>();
        services.AddSingleton<VehicleCommands>();
        services.AddHostedService<VehicleWarmup>();
        return services;
    }
}
