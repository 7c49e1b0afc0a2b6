package io.jctr.cli;

import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jctr.api.services.images.v1.CreateImageRequest;
import io.jctr.api.services.images.v1.Image;
import io.jctr.api.services.images.v1.UpdateImageRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jctr images tag SRC DST}: a second image record with the same target (and labels). */
@Command(name = "tag", description = "Give an image another name")
class ImagesTagCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--force"}, description = "replace DST if it exists")
    boolean force;

    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "DST")
    String target;

    @Override
    public void run() {
        try (ApiClient api = ApiClient.connect(spec)) {
            Image src = ImagesInspectCommand.find(api, source);
            Image dst = Image.newBuilder().setName(target).setTarget(src.getTarget()).putAllLabels(src.getLabelsMap()).build();
            try {
                ImagesCommand.stub(api).create(CreateImageRequest.newBuilder().setImage(dst).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS || !force) {
                    throw e;
                }
                ImagesCommand.stub(api).update(UpdateImageRequest.newBuilder().setImage(dst)
                        .setUpdateMask(FieldMask.newBuilder().addPaths("target").build()).build());
            }
            spec.commandLine().getOut().println(target);
            spec.commandLine().getOut().flush();
        }
    }
}
