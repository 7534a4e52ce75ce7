using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EvGateway.Vehicles;

public static class VehiclesServiceCollectionExtensions
{
    /// <summary>
    /// The brand-neutral core: directory, status cache, command gate, the start-up login, the call budgets and the
    /// background refresh.
    /// </summary>
    public static IServiceCollection AddVehicles(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayMetrics>();
        services.AddSingleton<VehicleDirectory>();
        services.AddSingleton<CallBudgets>();
        services.AddSingleton<RefreshPolicies>();
        services.AddSingleton<ScriptedReads>();
        services.AddSingleton<VehicleStatusCache>();
        services.AddSingleton<StatusBodies>();
        services.AddSingleton<VehicleCommands>();
        services.AddHostedService<VehicleWarmup>();
        services.AddHostedService<StatusRefresher>();
        return services;
    }
}
