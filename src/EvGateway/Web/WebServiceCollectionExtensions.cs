using System.Reflection;

namespace EvGateway.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>The server-rendered pages (Razor Pages under Web/): the dashboard at / and /setup.</summary>
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        // The core of MVC and the pages, without what AddRazorPages brings beside them: the gateway has no user accounts,
        // and authentication services would put an authentication middleware in front of every request. Razor Pages
        // needs the authorization core to build its pages (none asks for it).
        services.AddAuthorization();
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
