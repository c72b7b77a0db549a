using KaggleStorage.Tool;

return await new KaggleStorageCommandLine(Console.Out, Console.Error).InvokeAsync(args);
