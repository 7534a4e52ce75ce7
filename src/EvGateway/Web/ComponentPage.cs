using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace EvGateway.Web;

/// <summary>
/// An HTML answer rendered on the server from a Razor component, with the HtmlRenderer ASP.NET Core ships: no MVC, no
/// Blazor circuit and no key ring, so the pages cost the gateway nothing until someone opens one.
/// </summary>
public sealed class ComponentPage<TComponent>(IDictionary<string, object?> parameters) : IResult where TComponent : IComponent
{
    public async Task ExecuteAsync(HttpContext context)
    {
        var services = context.RequestServices;
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }
}
