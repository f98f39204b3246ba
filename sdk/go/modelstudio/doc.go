// LoRA fine-tuning and deployment of Alibaba Cloud Model Studio (DashScope) Wan image models.
package modelstudio
