
namespace EvGateway.Legacy;

/// <summary>The old bridge answered every origin (dashboards call it from the browser); the legacy routes keep that.</summary>
public static class LegacyCors
{
    public const string Policy = "legacy-any-origin";

    public static IServiceCollection AddLegacy(this IServiceCollection services)
    {
        services.AddCors(cors => cors.AddPolicy(Policy, policy => policy.AllowAnyOrigin().AllowAnyMethod().AllowAnyHeader()));
        services.AddSingleton<LegacyStatusRenderer>();
        return services;
    }
}
