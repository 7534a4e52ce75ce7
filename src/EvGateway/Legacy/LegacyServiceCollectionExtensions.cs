namespace EvGateway.Legacy;

public static class LegacyServiceCollectionExtensions
{
    public static IServiceCollection AddLegacy(this IServiceCollection services)
    {
        services.AddSingleton<LegacyStatusRenderer>();
        return services;
    }
}
