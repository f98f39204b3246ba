// Command sdk-go-project trains, exports and deploys the example model; `e2e:timeoutMinutes` is the training
// deadline.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"modelstudio.local/sdk-e2e-go/shots"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		timeout := config.New(ctx, "e2e").GetFloat64("timeoutMinutes")
		if timeout == 0 {
			timeout = 600
		}
		model, err := shots.Declare(ctx, timeout)
		if err != nil {
			return err
		}
		model.Export(ctx)
		return nil
	})
}
