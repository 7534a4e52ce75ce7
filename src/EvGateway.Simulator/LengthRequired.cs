using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EvGateway.Simulator;

/// <summary>
/// Refuses a request body sent without a Content-Length (chunked, or no length on a method that carries a body) with
/// 411 Length Required, as the strict API gateways in front of the makers' clouds do: the makers' own apps always send
/// a length, so a client that streams its body would lose the call in real life and must lose it here too. The test
/// control API under <c>/_control</c> is not a maker's and is left alone.
/// </summary>
internal static class LengthRequired
{
    public const string ControlPathPrefix = "/_control";

    public static void UseLengthRequired(this WebApplication app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (request.ContentLength is null && CarriesBody(request) && !request.Path.StartsWithSegments(ControlPathPrefix))
        {
            context.Response.StatusCode = StatusCodes.Status411LengthRequired;
            return context.Response.WriteAsync("A request body needs a Content-Length header.");
        }

        return next(context);
    });

    private static bool CarriesBody(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)
        || request.Headers.TransferEncoding.Count > 0;
}
