using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EvGateway.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>The server-rendered pages (Razor Pages under Web/): the dashboard at / and /setup.</summary>
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        // The core of MVC and the pages, without what AddRazorPages brings beside them: the gateway has no user accounts,
        // and authentication or authorization services would put their middleware in front of every request (the
        // authorization one writes to every request's Items). Razor Pages only asks a policy provider while it builds
        // its pages, to find [Authorize] on them: none has it.
        services.TryAddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        services.AddMvcCore().AddRazorPages(pages => pages.RootDirectory = "/Web");
        return services;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/help", Help).ExcludeFromDescription();
        return app;
    }

    /// <summary>The README, which says how to connect a car and what every setting means, as plain text.</summary>
    private static IResult Help()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("README.md");
        if (stream is null)
        {
            return TypedResults.NotFound();
        }

        using var reader = new StreamReader(stream);
        return TypedResults.Text(reader.ReadToEnd(), "text/plain; charset=utf-8");
    }
}
