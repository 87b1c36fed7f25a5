$env:PORT = "8100"
Start-Process -FilePath "python" -ArgumentList "-m uvicorn app.main:app --port $env:PORT"
Write-Output "Selenite started."
