namespace EvGateway.HomeAutomation;

/// <summary>Registers live data: the event stream and, when Mqtt:Host is set, the MQTT publisher with Home Assistant discovery.</summary>
public static class HomeAutomationExtensions
{
    public static IServiceCollection AddHomeAutomation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<StatusDocuments>();
        services.AddSingleton<LiveEvents>();
        return services;
    }

    public static IEndpointRouteBuilder MapHomeAutomation(this IEndpointRouteBuilder app) => app.MapLiveEvents();
}
