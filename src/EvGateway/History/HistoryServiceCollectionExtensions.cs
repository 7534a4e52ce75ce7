using EvGateway.Vehicles;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EvGateway.History;

public static class HistoryServiceCollectionExtensions
{
    /// <summary>The history file and its one writer, fed by every new status.</summary>
    public static IServiceCollection AddHistory(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName));
        services.AddSingleton<HistoryDatabase>();
        services.AddSingleton<HistoryWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<HistoryWriter>());
        return services;
    }
}
