package io.jctr.core.images;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.images.v1.CreateImageRequest;
import io.jctr.api.services.images.v1.CreateImageResponse;
import io.jctr.api.services.images.v1.DeleteImageRequest;
import io.jctr.api.services.images.v1.GetImageRequest;
import io.jctr.api.services.images.v1.GetImageResponse;
import io.jctr.api.services.images.v1.Image;
import io.jctr.api.services.images.v1.ImagesGrpc;
import io.jctr.api.services.images.v1.ListImagesRequest;
import io.jctr.api.services.images.v1.ListImagesResponse;
import io.jctr.api.services.images.v1.UpdateImageRequest;
import io.jctr.api.services.images.v1.UpdateImageResponse;
import io.jctr.api.types.Descriptor;
import io.jctr.core.filters.FilterParser;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.grpc.Timestamps;
import io.jctr.core.grpc.Unary;

/** {@code containerd.services.images.v1.Images}: translation only, logic in {@link ImageService}. */
final class ImagesGrpcService extends ImagesGrpc.ImagesImplBase {

    private final ImageService images;
    private final Runnable syncCollect;

    /** @param syncCollect runs a garbage collection and returns when it is done */
    ImagesGrpcService(ImageService images, Runnable syncCollect) {
        this.images = images;
        this.syncCollect = syncCollect;
    }

    @Override
    public void get(GetImageRequest request, StreamObserver<GetImageResponse> observer) {
        Unary.respond(observer, () -> GetImageResponse.newBuilder()
                .setImage(proto(images.get(RequestNamespace.current(), request.getName()))).build());
    }

    @Override
    public void list(ListImagesRequest request, StreamObserver<ListImagesResponse> observer) {
        Unary.respond(observer, () -> {
            ListImagesResponse.Builder b = ListImagesResponse.newBuilder();
            images.list(RequestNamespace.current(), FilterParser.parse(request.getFiltersList())).forEach(r -> b.addImages(proto(r)));
            return b.build();
        });
    }

    @Override
    public void create(CreateImageRequest request, StreamObserver<CreateImageResponse> observer) {
        Unary.respond(observer, () -> CreateImageResponse.newBuilder()
                .setImage(proto(images.create(RequestNamespace.current(), record(request.getImage())))).build());
    }

    @Override
    public void update(UpdateImageRequest request, StreamObserver<UpdateImageResponse> observer) {
        Unary.respond(observer, () -> UpdateImageResponse.newBuilder().setImage(proto(images.update(RequestNamespace.current(),
                record(request.getImage()), request.getUpdateMask().getPathsList()))).build());
    }

    @Override
    public void delete(DeleteImageRequest request, StreamObserver<Empty> observer) {
        Unary.respond(observer, () -> {
            images.delete(RequestNamespace.current(), request.getName());
            if (request.getSync()) {
                syncCollect.run();
            }
            return Empty.getDefaultInstance();
        });
    }

    private static ImageRecord record(Image i) {
        Descriptor d = i.getTarget();
        return new ImageRecord(i.getName(), i.getLabelsMap(),
                new ImageRecord.Target(d.getMediaType(), d.getDigest(), d.getSize(), d.getAnnotationsMap()), null, null);
    }

    private static Image proto(ImageRecord r) {
        ImageRecord.Target t = r.target();
        return Image.newBuilder().setName(r.name()).putAllLabels(r.labels())
                .setTarget(Descriptor.newBuilder().setMediaType(t.mediaType()).setDigest(t.digest()).setSize(t.size())
                        .putAllAnnotations(t.annotations()))
                .setCreatedAt(Timestamps.parse(r.createdAt())).setUpdatedAt(Timestamps.parse(r.updatedAt())).build();
    }
}
